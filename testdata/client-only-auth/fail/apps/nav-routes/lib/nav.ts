export const navLinks = [
  { label: 'Dashboard', route: '/dashboard', icon: '/icons/home.svg' },
  { label: 'Settings', route: '/settings', icon: '/icons/gear.svg' },
]
