/** Previous/next links for a list page, with where the reader is ("Page 2 of 5"). */
export function Pagination(props: {
  page: number;
  pageSize: number;
  total: number;
  hrefFor: (page: number) => string;
}) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  if (pages <= 1) return null;
  const { page } = props;
  return (
    <nav class="pagination" aria-label="Pages">
      {page > 1 ? (
        <a href={props.hrefFor(page - 1)} rel="prev">
          Previous page
        </a>
      ) : (
        <span aria-hidden="true" />
      )}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <a href={props.hrefFor(page + 1)} rel="next">
          Next page
        </a>
      ) : (
        <span aria-hidden="true" />
      )}
    </nav>
  );
}
