// Package skeleton: the notification service lands here (issue 8).
export {};
