"""Survey admin: sign-in, open/close, moderation, exports, soft delete and audit log."""

from components import frame
from components.admin import view as admin_view

t = frame.page_translator("admin")
admin_view.render(t)
