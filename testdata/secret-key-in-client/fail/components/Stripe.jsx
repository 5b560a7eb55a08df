"use strict";
"use client";
export const stripeKey = "sk_live_lSXpfKtHF4vUCsMehGAkWvj7FAc9QeWJKY40uvSwMF"; // expect: secret-key-in-client
