'use client'
// Publishable keys are public by design.
const pk = 'pk_test_Y2xlYW4taGF3ay00Mi5jbGVyay5hY2NvdW50cy5kZXYk'
// Placeholders are not keys.
const example = 'sk_test_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'
const masked = 'sk_live_****************************************'
const doc = 'sk_live_...'
const yours = 'sk_test_YOURSECRETKEYHEREYOURSECRETKEYHERE12'
const repeated = 'sk_test_a1b2a1b2a1b2a1b2a1b2a1b2a1b2a1b2a1b2'
const short = 'sk_live_Q7fLm2ZpX9aB4cRt8WvY1nK3'
export const Nav = () => null
