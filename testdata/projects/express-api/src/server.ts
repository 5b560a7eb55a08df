import express from 'express';
import { clerkMiddleware, getAuth } from '@clerk/express';
import { guard } from './lib/auth';
import projects from './routes/projects';
import reports from './routes/reports';

const app = express();
app.use(express.json());

app.get('/api/whoami', (req, res) => {
  const { userId } = getAuth(req);
  if (!userId) return res.status(401).end();
  res.json({ userId });
});

app.use(clerkMiddleware({ authorizedParties: ['https://app.example.com'] }));

app.use('/api/projects', projects);
app.use('/api/reports', guard, reports);

app.listen(4000);
