// Package skeleton: the AI service lands here (issue 9).
export {};
