const express = require('express');
const { requireAuth } = require('@clerk/express');
const { clerkAuth } = require('./lib/auth');
const items = require('./routes/items');

const app = express();

app.get('/api/orders', requireAuth(), async (req, res) => { // expect: express-require-auth-deprecated
  res.json(await db.orders());
});

app.use('/v1/items', clerkAuth, items); // expect: express-require-auth-deprecated

app.listen(3000);
