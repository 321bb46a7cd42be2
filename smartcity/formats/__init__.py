"""Date formats of the portal (``FORMAT_MODULE_PATH``): every date and time the same way in both languages, "7 Des
2026" and "7 Des 2026 03:44" (WITA, 24 hours), where Django's own Indonesian writes "7 Des. 2026, 3.44" and its
English "Dec. 7, 2026, 3:44 a.m." (the admin, messages built with ``date_format``). Anything not set here is
Django's (input formats, separators)."""
