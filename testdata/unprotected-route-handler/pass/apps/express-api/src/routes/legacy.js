const express = require('express');
const store = require('../store');

const router = express.Router();

// The legacy object form of `req.auth` (older @clerk/express, ClerkExpressWithAuth).
function protect(req, res, next) {
  if (!req.auth.userId) {
    return res.status(401).json({ message: 'sign in first' });
  }
  next();
}

router.get('/orders', protect, async (req, res) => {
  res.json(await store.orders(req.auth.userId));
});

router.post('/orders', async (req, res) => {
  if (!req.auth().userId) {
    return res.status(401).end();
  }
  res.json(await store.create(req.body));
});

module.exports = router;
