import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

import { flash } from '../lib/flash.js';
import { location } from '../lib/navigation.js';
import { useStore } from '../lib/store.js';

/** The flash message meant for this page, once (role=status: read out without moving focus). */
function FlashMessage() {
  const message = useStore(flash);
  const here = useStore(location);
  if (!message || message.path !== here.pathname) return null;
  return (
    <p class={`flash flash-${message.kind}`} role="status">
      {message.text}
    </p>
  );
}

/**
 * A page: its `<h1>` and the document title. After an in-app navigation focus moves to the
 * heading, so keyboard and screen-reader users start reading the new page (not the old link).
 */
export function Page(props: { title: string; heading?: ComponentChildren; children?: ComponentChildren }) {
  const here = useStore(location);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} · Cartwheel`;
  }, [props.title]);
  useEffect(() => {
    if (here.visits > 0) heading.current?.focus();
  }, [here.pathname]);
  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        {props.heading ?? props.title}
      </h1>
      <FlashMessage />
      {props.children}
    </>
  );
}
