const express = require('express');
const { getAuth } = require('@clerk/express');

const router = express.Router();

function signedIn(req, res, next) {
  if (!getAuth(req).userId) {
    return res.status(401).send('unauthorized');
  }
  next();
}

router.get('/', signedIn, async (req, res) => { // expect: express-clerk-middleware-order
  res.json(await db.items());
});

router.get('/count', async (req, res) => {
  res.json({ count: await db.count() });
});

module.exports = router;
