import { Router } from 'express';
import { getAuth } from '@clerk/express';

const router = Router();

router.get('/', (req, res) => {
  const { userId } = getAuth(req);
  if (!userId) return res.status(401).end();
  res.json({ userId });
});

export default router;
