"""Per-learner passwords for the workshop hub (see :mod:`fluorohip.hub.accounts`).

A learner logs in with their own name and the password the instructor handed them; a name
with no password issued is refused, so nobody can log in as someone else by typing their name.
The instructor (admin) logs in with the admin password, as in shared-password mode.
"""

from __future__ import annotations

import hmac
from pathlib import Path

from jupyterhub.auth import Authenticator
from traitlets import Unicode

from . import accounts


class LearnerPasswordAuthenticator(Authenticator):
    state_dir = Unicode(config=True, help="the hub's state folder, holding learner-passwords.json")
    admin_password = Unicode(config=True, help="the instructor's password (>= 32 characters)")

    async def authenticate(self, handler, data):
        name = self.normalize_username((data or {}).get("username", ""))
        password = (data or {}).get("password", "")
        if not name or not isinstance(password, str) or not password:
            return None
        if name in (self.admin_users or set()):
            if self.admin_password and hmac.compare_digest(
                password.encode(), self.admin_password.encode()
            ):
                return {"name": name, "admin": True}
            return None
        stored = accounts.load_password_hashes(Path(self.state_dir)).get(name)
        if stored and accounts.check_password(password, stored):
            return {"name": name, "admin": False}
        return None

    def check_allowed(self, username, authentication=None):
        # Exactly the learners with a password issued, and the instructor.
        if username in (self.admin_users or set()):
            return True
        return username in accounts.load_password_hashes(Path(self.state_dir))


enabled = accounts.learner_passwords_enabled
