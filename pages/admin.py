"""Survey admin: sign-in, open/close, moderation, exports, soft delete and audit log."""

from components import admin_view, frame

t = frame.page_translator("admin")
admin_view.render(t)
