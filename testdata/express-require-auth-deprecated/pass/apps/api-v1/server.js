const express = require('express');
const { requireAuth } = require('@clerk/express');

const app = express();

// @clerk/express 1.0.x: requireAuth() answers 401 (it redirects from 1.1.0 on).
app.get('/api/orders', requireAuth(), async (req, res) => {
  res.json(await db.orders());
});

app.listen(3000);
