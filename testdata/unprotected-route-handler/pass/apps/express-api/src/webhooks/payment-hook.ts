import crypto from 'crypto';
import { db } from '../db';

// The signature header must equal the HMAC of the body under the shared secret; a mismatch
// throws inside the try, and the catch answers an error before any order changes.
export const confirmPayment = async (req, res) => {
  try {
    const sent = req.headers['x-pay-signature'];
    const expected = crypto
      .createHmac('sha256', process.env.PAY_HOOK_SECRET)
      .update(JSON.stringify(req.body))
      .digest('hex');
    if (expected !== sent) {
      throw new Error('signature mismatch');
    }
    const order = await db.orders.markPaid(req.body.orderId);
    return res.status(200).json({ ok: true, order });
  } catch (err) {
    return res.status(500).json({ ok: false });
  }
};
