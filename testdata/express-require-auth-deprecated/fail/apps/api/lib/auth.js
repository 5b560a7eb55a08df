const { clerkMiddleware, requireAuth } = require('@clerk/express');

const clerkAuth = requireAuth();

module.exports = { clerkAuth, clerkMiddleware };
