/** What the connection and its headers say about the caller. */
export interface ConnectionFacts {
  /** The socket peer's address. */
  peer: string | undefined;
  /** The request's headers, lower case. */
  forwardedFor?: string;
  forwardedProto?: string;
  forwardedHost?: string;
  host: string;
  encrypted: boolean;
}

/** Who is calling, as far as the gateway can tell, and what to tell the upstream about it. */
export interface ClientAddress {
  /** The client's IP: rate-limit key for anonymous requests. */
  ip: string;
  /** The X-Forwarded-For to send upstream: the client first, then each trusted proxy, then our peer. */
  forwardedFor: string;
  /** The scheme and host the client used. */
  proto: string;
  host: string;
}

/** `::ffff:127.0.0.1` → `127.0.0.1`, so one client has one key whichever socket family it used. */
const normalise = (ip: string) => ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
const firstOf = (value: string | undefined) => value?.split(',')[0]?.trim() || undefined;

/**
 * The client's address from the socket peer and, when `trustedHops` proxies in front of the
 * gateway are trusted, from X-Forwarded-For. Each trusted proxy appends the address it saw, so
 * the client is `trustedHops` entries from the right of (X-Forwarded-For + peer); anything
 * further left was written by the client and may be forged. With no trusted hop the
 * X-Forwarded-* headers are ignored and replaced, so services behind the gateway never see a
 * client-written address.
 */
export function clientAddress(facts: ConnectionFacts, trustedHops: number): ClientAddress {
  const self = normalise(facts.peer ?? 'unknown');
  const ownProto = facts.encrypted ? 'https' : 'http';
  if (trustedHops === 0) return { ip: self, forwardedFor: self, proto: ownProto, host: facts.host };
  const listed = (facts.forwardedFor ?? '')
    .split(',')
    .map((entry) => normalise(entry.trim()))
    .filter(Boolean);
  const chain = [...listed, self];
  const index = Math.max(0, chain.length - 1 - trustedHops);
  return {
    ip: chain[index],
    forwardedFor: chain.slice(index).join(', '),
    proto: firstOf(facts.forwardedProto) ?? ownProto,
    host: firstOf(facts.forwardedHost) ?? facts.host,
  };
}
