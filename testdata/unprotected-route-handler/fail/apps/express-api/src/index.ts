import express from 'express';
import { clerkMiddleware, getAuth, requireAuth } from '@clerk/express';
import usersRouter from './routes/users';
import { db } from './db';

const app = express();
app.use(clerkMiddleware());

app.get('/api/open', async (req, res) => { // expect: unprotected-route-handler
  const rows = await db.query('select * from orders');
  res.json(rows);
});

app.get('/api/me', async (req, res) => {
  const { userId } = getAuth(req);
  if (!userId) {
    return res.status(401).json({ error: 'unauthorized' });
  }
  res.json(await db.user(userId));
});

app.get('/api/settings', requireAuth(), async (req, res) => {
  res.json(await db.settings());
});

app.use('/api/users', usersRouter);

app.listen(3000);
