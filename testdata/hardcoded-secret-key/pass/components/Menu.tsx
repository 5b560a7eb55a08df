'use client'
// In a client module this is secret-key-in-client's finding, not this rule's.
export const k = 'sk_live_zz63FfkCzJr4i0B3JrTAwR4y9ojfljoQoaF1Llqsaj'
