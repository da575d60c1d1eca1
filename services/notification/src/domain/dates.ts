const format = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/** An ISO 8601 timestamp as a reader sees it: "21 November 2026 at 12:14 UTC". */
export const formatDate = (iso: string): string => `${format.format(new Date(iso))} UTC`;
