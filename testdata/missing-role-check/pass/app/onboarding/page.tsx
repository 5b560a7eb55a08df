'use client'

import * as onboarding from './actions'

export default function Onboarding() {
  return <p>{Object.keys(onboarding).length}</p>
}
