import type { RefreshTokenRecord, RefreshTokenRepository } from '../domain/ports.js';
import { toDate, toId, type Conn } from './rows.js';

const COLUMNS = ['token_hash', 'family_id', 'user_id', 'expires_at', 'rotated_at', 'revoked_at'];

function toRecord(row: Record<string, unknown>): RefreshTokenRecord {
  return {
    token_hash: row.token_hash as string,
    family_id: row.family_id as string,
    user_id: toId(row.user_id),
    expires_at: toDate(row.expires_at) as Date,
    rotated_at: toDate(row.rotated_at),
    revoked_at: toDate(row.revoked_at),
  };
}

export function refreshTokenRepository(conn: Conn): RefreshTokenRepository {
  return {
    async insert(record) {
      await conn('refresh_tokens').insert(record);
    },
    async findForUpdate(tokenHash) {
      const row = await conn('refresh_tokens')
        .select(COLUMNS)
        .where({ token_hash: tokenHash })
        .forUpdate()
        .first();
      return row ? toRecord(row) : undefined;
    },
    async markRotated(tokenHash, at) {
      return (
        (await conn('refresh_tokens')
          .where({ token_hash: tokenHash })
          .whereNull('rotated_at')
          .update({ rotated_at: at })) > 0
      );
    },
    async revokeFamily(familyId, at) {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(familyId)) return 0;
      return conn('refresh_tokens')
        .where({ family_id: familyId })
        .whereNull('revoked_at')
        .update({ revoked_at: at });
    },
    async revokeAllOfUser(userId, at) {
      return conn('refresh_tokens')
        .where({ user_id: userId })
        .whereNull('revoked_at')
        .update({ revoked_at: at });
    },
  };
}
