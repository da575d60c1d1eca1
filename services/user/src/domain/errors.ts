import { AppError, forbidden, unauthorized } from '@cartwheel/kit';

/** One message for a wrong email and a wrong password alike, so neither reveals which was wrong. */
export const invalidCredentials = (): AppError => unauthorized('Incorrect email or password');

export const tooManyAttempts = (retryAfterSec: number): AppError =>
  new AppError('too_many_attempts', 429, 'Too Many Requests', {
    detail: `Too many failed attempts; try again in ${retryAfterSec} s`,
    headers: { 'Retry-After': String(retryAfterSec) },
  });

export const accountDisabled = (): AppError => forbidden('This account is disabled');

export const emailTaken = (): AppError =>
  new AppError('email_taken', 409, 'Conflict', {
    detail: 'An account with this email already exists',
    errors: [{ path: 'email', message: 'is already registered' }],
  });

export const invalidRefreshToken = (): AppError => unauthorized('Refresh token is invalid or expired');
