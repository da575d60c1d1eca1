import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

import { api } from '../lib/api.js';
import { formatMoney } from '../lib/money.js';
import { location } from '../lib/navigation.js';
import { paths } from '../lib/routes.js';
import { session } from '../lib/session.js';
import { useStore } from '../lib/store.js';
import type { ChatProduct, ChatTurn } from '../lib/types.js';
import { ErrorMessage, LiveStatus } from './status.js';

interface Message extends ChatTurn {
  products?: ChatProduct[];
  source?: string;
}

/** The assistant keeps at most 20 earlier turns (issue 9). */
const HISTORY_TURNS = 20;
/** The assistant refuses longer turns; a long reply is sent back shortened. */
const HISTORY_TURN_CHARS = 4000;

const productId = (p: ChatProduct) => p._id ?? p.id ?? p.product_id;

function AssistantMessage(props: { message: Message }) {
  const { message } = props;
  const products = (message.products ?? []).filter((p) => productId(p));
  return (
    <>
      {message.source === 'fallback' && (
        <p class="chat-source">
          <span class="badge badge-fallback">Fallback answer</span> The AI model was not available, so this
          answer comes from a plain catalog search.
        </p>
      )}
      <p class="chat-text">{message.content}</p>
      {products.length > 0 && (
        <ul class="chat-products" aria-label="Products mentioned">
          {products.map((p) => (
            <li key={productId(p)}>
              <a href={paths.product(productId(p)!)}>{p.name ?? productId(p)}</a>
              {typeof p.price === 'number' && ` (${formatMoney(p.price, p.currency ?? 'USD')})`}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/**
 * The shopping assistant (`POST /api/v1/ai/chat`): a side panel, not a modal, so the shop stays
 * usable next to it. Opening it moves focus to the question field; Escape closes it and gives
 * focus back to its toggle. The conversation is a log (read out as it grows).
 */
export function ChatPanel(props: {
  open: boolean;
  onClose: () => void;
  toggle: RefObject<HTMLButtonElement | null>;
}) {
  const state = useStore(session);
  const here = useStore(location);
  const [messages, setMessages] = useState<Message[]>([]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (props.open) input.current?.focus();
  }, [props.open]);

  const close = () => {
    props.onClose();
    props.toggle.current?.focus();
  };

  const ask = async (event: Event) => {
    event.preventDefault();
    const message = text.trim();
    if (!message || busy) return;
    const history: ChatTurn[] = messages
      .filter((turn) => turn.content.trim() !== '')
      .slice(-HISTORY_TURNS)
      .map(({ role, content }) => ({ role, content: content.slice(0, HISTORY_TURN_CHARS) }));
    setMessages((all) => [...all, { role: 'user', content: message }]);
    setText('');
    input.current?.focus(); // ready for the next question (and Escape) while this one is answered
    setBusy(true);
    setError(undefined);
    try {
      const reply = await api.chat(message, history);
      setMessages((all) => [
        ...all,
        { role: 'assistant', content: reply.reply, products: reply.products, source: reply.source },
      ]);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <aside
      id="chat-panel"
      class="chat-panel"
      aria-labelledby="chat-title"
      hidden={!props.open}
      onKeyDown={(event) => {
        if (event.key === 'Escape') close();
      }}
    >
      <div class="chat-header">
        <h2 id="chat-title">Shopping assistant</h2>
        <button type="button" class="button-secondary" onClick={close} aria-label="Close the assistant">
          Close
        </button>
      </div>
      {state.status !== 'signed-in' ? (
        <p>
          <a href={paths.signin(here.pathname + here.search)}>Sign in</a> to ask the assistant about products.
        </p>
      ) : (
        <>
          <div class="chat-log" role="log" aria-label="Conversation">
            <ol>
              {messages.length === 0 && (
                <li class="chat-empty">
                  Ask about products, prices or stock, for example "tents under 400".
                </li>
              )}
              {messages.map((message, index) => (
                <li key={index} class={`chat-message chat-${message.role}`}>
                  <span class="visually-hidden">{message.role === 'user' ? 'You said:' : 'Assistant:'}</span>
                  {message.role === 'assistant' ? (
                    <AssistantMessage message={message} />
                  ) : (
                    <p class="chat-text">{message.content}</p>
                  )}
                </li>
              ))}
            </ol>
          </div>
          <LiveStatus>{busy ? 'The assistant is answering…' : ''}</LiveStatus>
          <ErrorMessage error={error} />
          <form class="chat-form" onSubmit={ask}>
            <label for="chat-message">Your question</label>
            <div class="chat-input-row">
              <input
                id="chat-message"
                ref={input}
                type="text"
                maxLength={2000}
                autocomplete="off"
                value={text}
                onInput={(event) => setText(event.currentTarget.value)}
              />
              <button type="submit" aria-disabled={busy}>
                Send
              </button>
            </div>
          </form>
        </>
      )}
    </aside>
  );
}
