import type { AddressInfo } from 'node:net';
import PostalMime, { type Email } from 'postal-mime';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** One message as the SMTP server received it. */
export interface ReceivedMail {
  /** MAIL FROM and RCPT TO: who the message really went to, whatever its headers say. */
  envelope: { from: string; to: string[] };
  raw: Buffer;
  /** The message parsed (postal-mime). */
  email: Email;
}

export interface TestSmtpServer {
  url: string;
  received: ReceivedMail[];
  /** Answers 550 to DATA for a message with a recipient matching `refuse` (until changed). */
  refuse: (recipient: string) => boolean;
  /** Until the returned function is called, messages are received but not yet answered. */
  hold(): () => void;
  /** Closes the listener: connections are refused until `start`. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

/**
 * A real SMTP server (the npm package smtp-server) in the test process, on a free loopback port.
 * No STARTTLS and no AUTH, like Mailpit in the dev cluster.
 */
export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  let gate: Promise<void> = Promise.resolve();
  const state: TestSmtpServer = {
    url: '',
    received: [],
    refuse: () => false,
    hold() {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return release;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
    async start() {
      server = create();
      await listen(port);
    },
  };
  const onData = (
    stream: NodeJS.ReadableStream,
    session: SMTPServerSession,
    done: (error?: Error) => void,
  ) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const to = session.envelope.rcptTo.map((r) => r.address);
      void gate.then(async () => {
        if (to.some((address) => state.refuse(address))) {
          return done(
            Object.assign(new Error('Mailbox unavailable: refused by policy'), { responseCode: 550 }),
          );
        }
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const raw = Buffer.concat(chunks);
        state.received.push({ envelope: { from, to }, raw, email: await PostalMime.parse(raw) });
        done();
      });
    });
  };
  const create = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData,
    });
  let server = create();
  const listen = (onPort: number) =>
    new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(onPort, '127.0.0.1', () => resolve());
    });
  await listen(0);
  const port = (server.server.address() as AddressInfo).port;
  state.url = `smtp://127.0.0.1:${port}`;
  return state;
}
