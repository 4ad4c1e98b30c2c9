"""The admin's desk: status, data, moderation, exports and the audit log."""
