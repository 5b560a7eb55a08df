const express = require('express');
const { clerkMiddleware, getAuth } = require('@clerk/express');

const app = express();
app.use(clerkMiddleware());

app.get('/api/me', (req, res) => {
  const { userId } = getAuth(req);
  if (!userId) return res.status(401).end();
  res.json({ userId });
});

app.listen(3000);
