import express from 'express';
import { db } from '../db';

const router = express.Router();

router.get('/stats', async (req, res) => {
  res.json(await db.stats());
});

export default router;
