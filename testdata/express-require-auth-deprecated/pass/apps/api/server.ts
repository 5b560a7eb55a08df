import express from 'express';
import { clerkMiddleware } from '@clerk/express';
// A project function that happens to share the name.
import { requireAuth } from './lib/auth';

const app = express();
app.use(clerkMiddleware());

app.get('/api/orders', requireAuth, async (req, res) => {
  res.json(await db.orders());
});

export default app;
