// A server module: a key here is hardcoded-secret-key's business, not this rule's.
// 'use client'
export const secret = 'sk_live_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdoc'
