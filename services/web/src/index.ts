// Package skeleton: the storefront's build and asset location land here (issue 13).
export {};
