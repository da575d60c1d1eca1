import { randomBytes } from 'node:crypto';
import type { UserDomain } from './context.js';
import { hashPassword } from './password-hash.js';
import { passwordProblems } from './password-policy.js';
import { userCreated } from './user-events.js';
import { normalizeEmail } from './user.js';

/** The account embedded mode creates when no admin is configured. */
export const GENERATED_ADMIN_EMAIL = 'admin@cartwheel.local';

export type AdminBootstrap =
  /** CARTWHEEL_ADMIN_EMAIL/PASSWORD: create it, or make the existing account an admin. */
  | { kind: 'configured'; email: string; password: string }
  /** Embedded mode without configuration: unless an admin exists, create GENERATED_ADMIN_EMAIL with a random password. */
  | { kind: 'generated' };

export interface BootstrapOutcome {
  email: string;
  created: boolean;
  /** Only when this call created the generated admin: the one time its password is known. */
  generatedPassword?: string;
}

function randomPassword(): string {
  for (;;) {
    const candidate = randomBytes(18).toString('base64url');
    if (passwordProblems(candidate).length === 0) return candidate;
  }
}

/**
 * Makes sure the first admin exists. Idempotent, and safe when several replicas start at once
 * (insert-if-absent): an existing account keeps its password — a restart never resets it.
 */
export async function bootstrapAdmin(d: UserDomain, request: AdminBootstrap): Promise<BootstrapOutcome> {
  const email = request.kind === 'configured' ? normalizeEmail(request.email) : GENERATED_ADMIN_EMAIL;
  const password = request.kind === 'configured' ? request.password : randomPassword();
  const passwordHash = await hashPassword(password);
  return d.run(async (tx) => {
    if (request.kind === 'generated' && (await tx.users.hasActiveAdmin())) return { email, created: false };
    const created = await tx.users.insert({
      email,
      password_hash: passwordHash,
      first_name: 'Cartwheel',
      last_name: 'Admin',
      phone: null,
      role: 'admin',
    });
    if (created) {
      await tx.publish([userCreated(created)]);
      return {
        email,
        created: true,
        ...(request.kind === 'generated' ? { generatedPassword: password } : {}),
      };
    }
    const existing = await tx.users.findByEmail(email);
    if (request.kind === 'configured' && existing && existing.role !== 'admin') {
      await tx.users.update(existing.id, { role: 'admin' });
    }
    return { email, created: false };
  });
}
