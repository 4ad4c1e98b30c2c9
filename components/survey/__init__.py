"""The survey: its page around the phone form, receipts and the privacy page."""
