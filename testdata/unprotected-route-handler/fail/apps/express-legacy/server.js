const express = require('express');
const store = require('./store');

const app = express();

app.post('/orders', async (req, res) => { // expect: unprotected-route-handler
  const order = await store.create(req.body);
  res.status(201).json(order);
});

module.exports = app;

// The user id comes from the body, not from the session: no check.
function trustBody(req, res, next) {
  if (!req.body.userId) {
    return res.status(401).json({ error: 'missing user' });
  }
  next();
}

app.delete('/orders/:id', trustBody, async (req, res) => { // expect: unprotected-route-handler
  await store.remove(req.params.id);
  res.sendStatus(204);
});
