"""Strings of installed apps that our catalogue translates for them.

django-celery-beat's admin (periodic tasks, schedules) ships no Indonesian, so an administrator's Indonesian
admin had a whole section in English; Django's own Indonesian says a duplicate "does not exist" ("tidak ada")
where it means "already exists". Listing the messages here puts them in ``locale/``, which Django reads before
any app's own translations (``LOCALE_PATHS``). Nothing imports this module: ``makemessages`` reads it.
"""

from django.utils.translation import gettext_noop

DJANGO = [
    gettext_noop("%(model_name)s with this %(field_labels)s already exists."),
]

# django-celery-beat 2.x: its admin, models and schedules, as its own catalogue lists them; not the two messages
# after a bulk action, which glue an English plural "s" to the word for task.
CELERY_BEAT = [
    gettext_noop("Task (registered)"),
    gettext_noop("Task (custom)"),
    gettext_noop("Need name of task"),
    gettext_noop("Only one can be set, in expires and expire_seconds"),
    gettext_noop("Unable to parse JSON: %s"),
    gettext_noop("Schedule"),
    gettext_noop("Arguments"),
    gettext_noop("Execution Options"),
    gettext_noop("Enable selected tasks"),
    gettext_noop("Disable selected tasks"),
    gettext_noop("Toggle activity of selected tasks"),
    gettext_noop('task "{not_found_task_name}" not found'),
    gettext_noop("Run selected tasks"),
    gettext_noop("Periodic Tasks"),
    gettext_noop("Days"),
    gettext_noop("Hours"),
    gettext_noop("Minutes"),
    gettext_noop("Seconds"),
    gettext_noop("Microseconds"),
    gettext_noop("Day"),
    gettext_noop("Hour"),
    gettext_noop("Minute"),
    gettext_noop("Second"),
    gettext_noop("Microsecond"),
    gettext_noop("Astronomical dawn"),
    gettext_noop("Civil dawn"),
    gettext_noop("Nautical dawn"),
    gettext_noop("Astronomical dusk"),
    gettext_noop("Civil dusk"),
    gettext_noop("Nautical dusk"),
    gettext_noop("Solar noon"),
    gettext_noop("Sunrise"),
    gettext_noop("Sunset"),
    gettext_noop("Solar Event"),
    gettext_noop("The type of solar event when the job should run"),
    gettext_noop("Latitude"),
    gettext_noop("Run the task when the event happens at this latitude"),
    gettext_noop("Longitude"),
    gettext_noop("Run the task when the event happens at this longitude"),
    gettext_noop("solar event"),
    gettext_noop("solar events"),
    gettext_noop("Number of Periods"),
    gettext_noop("Number of interval periods to wait before running the task again"),
    gettext_noop("Interval Period"),
    gettext_noop("The type of period between task runs (Example: days)"),
    gettext_noop("interval"),
    gettext_noop("intervals"),
    gettext_noop("every {}"),
    gettext_noop("every {} {}"),
    gettext_noop("Clock Time"),
    gettext_noop("Run the task at clocked time"),
    gettext_noop("clocked"),
    gettext_noop("Minute(s)"),
    gettext_noop('Cron Minutes to Run. Use "*" for "all". (Example: "0,30")'),
    gettext_noop("Hour(s)"),
    gettext_noop('Cron Hours to Run. Use "*" for "all". (Example: "8,20")'),
    gettext_noop("Day(s) Of The Week"),
    gettext_noop('Cron Days Of The Week to Run. Use "*" for "all", Sunday is 0 or 7, Monday is 1. (Example: "0,5")'),
    gettext_noop("Day(s) Of The Month"),
    gettext_noop('Cron Days Of The Month to Run. Use "*" for "all". (Example: "1,15")'),
    gettext_noop("Month(s) Of The Year"),
    gettext_noop('Cron Months (1-12) Of The Year to Run. Use "*" for "all". (Example: "1,12")'),
    gettext_noop("Cron Timezone"),
    gettext_noop("Timezone to Run the Cron Schedule on. Default is UTC."),
    gettext_noop("crontab"),
    gettext_noop("crontabs"),
    gettext_noop("Name"),
    gettext_noop("Short Description For This Task"),
    gettext_noop('The Name of the Celery Task that Should be Run.  (Example: "proj.tasks.import_contacts")'),
    gettext_noop("Interval Schedule"),
    gettext_noop("Interval Schedule to run the task on.  Set only one schedule type, leave the others null."),
    gettext_noop("Crontab Schedule"),
    gettext_noop("Crontab Schedule to run the task on.  Set only one schedule type, leave the others null."),
    gettext_noop("Solar Schedule"),
    gettext_noop("Solar Schedule to run the task on.  Set only one schedule type, leave the others null."),
    gettext_noop("Clocked Schedule"),
    gettext_noop("Clocked Schedule to run the task on.  Set only one schedule type, leave the others null."),
    gettext_noop("Positional Arguments"),
    gettext_noop('JSON encoded positional arguments (Example: ["arg1", "arg2"])'),
    gettext_noop("Keyword Arguments"),
    gettext_noop('JSON encoded keyword arguments (Example: {"argument": "value"})'),
    gettext_noop("Queue Override"),
    gettext_noop("Queue defined in CELERY_TASK_QUEUES. Leave None for default queuing."),
    gettext_noop("Exchange"),
    gettext_noop("Override Exchange for low-level AMQP routing"),
    gettext_noop("Routing Key"),
    gettext_noop("Override Routing Key for low-level AMQP routing"),
    gettext_noop("AMQP Message Headers"),
    gettext_noop("JSON encoded message headers for the AMQP message."),
    gettext_noop("Priority"),
    gettext_noop("Priority Number between 0 and 255. Supported by: RabbitMQ, Redis (priority reversed, 0 is highest)."),
    gettext_noop("Expires Datetime"),
    gettext_noop("Datetime after which the schedule will no longer trigger the task to run"),
    gettext_noop("Expires timedelta with seconds"),
    gettext_noop("Timedelta with seconds which the schedule will no longer trigger the task to run"),
    gettext_noop("One-off Task"),
    gettext_noop("If True, the schedule will only run the task a single time"),
    gettext_noop("Start Datetime"),
    gettext_noop("Datetime when the schedule should begin triggering the task to run"),
    gettext_noop("Enabled"),
    gettext_noop("Set to False to disable the schedule"),
    gettext_noop("Last Run Datetime"),
    gettext_noop(
        "Datetime that the schedule last triggered the task to run. Reset to None if enabled is set to False."
    ),
    gettext_noop("Total Run Count"),
    gettext_noop("Running count of how many times the schedule has triggered the task"),
    gettext_noop("Last Modified"),
    gettext_noop("Datetime that this PeriodicTask was last modified"),
    gettext_noop("Description"),
    gettext_noop("Detailed description about the details of this Periodic Task"),
    gettext_noop("periodic task"),
    gettext_noop("periodic tasks"),
]

# django-allauth: its Indonesian writes "E-mail" and "Silahkan" where every other page of the portal writes "Email"
# and "Silakan", so the sign-up and log-in pages switched words mid-form. These are the messages, emails and admin
# names a citizen or an administrator can meet (tests/accounts/test_allauth_wording.py finds any left).
ALLAUTH = [
    gettext_noop("This email address is already associated with this account."),
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("A user is already registered with this email address."),
    gettext_noop("Please type your current password."),
    gettext_noop("You cannot add more than %d email addresses."),
    gettext_noop("The email address is not assigned to any user account."),
    gettext_noop("Your primary email address must be verified."),
    gettext_noop("Email address"),
    gettext_noop("Email (again)"),
    gettext_noop("Email address confirmation"),
    gettext_noop("Email (optional)"),
    gettext_noop("You must type the same email each time."),
    gettext_noop("email addresses"),
    gettext_noop("email confirmation"),
    gettext_noop("email confirmations"),
    gettext_noop("Email Verification"),
    gettext_noop("Enter Email Verification Code"),
    gettext_noop("Use a different email address"),
    gettext_noop("Your email has been changed from %(from_email)s to %(to_email)s."),
    gettext_noop("Email Changed"),
    gettext_noop("Your email has been confirmed."),
    gettext_noop("Email Confirmation"),
    gettext_noop("Please Confirm Your Email Address"),
    gettext_noop("Email address %(deleted_email)s has been removed from your account."),
    gettext_noop("Email Removed"),
    gettext_noop(
        "You're receiving this email because you or someone else has requested a password reset for your "
        "user account.\nIt can be safely ignored if you did not request a password reset. Click the link "
        "below to reset your password."
    ),
    gettext_noop("Password Reset Email"),
    gettext_noop("You cannot remove your primary email address (%(email)s)."),
    gettext_noop("Confirmation email sent to %(email)s."),
    gettext_noop("Removed email address %(email)s."),
    gettext_noop("Primary email address set."),
    gettext_noop(
        "This part of the site requires us to verify that\nyou are who you claim to be. For this purpose, "
        "we require that you\nverify ownership of your email address. "
    ),
    gettext_noop(
        "We have sent an email to you for\nverification. Please click on the link inside that email. If "
        "you do not see the verification email in your main inbox, check your spam folder. Otherwise\n"
        "contact us if you do not receive it within a few minutes."
    ),
    gettext_noop('<strong>Note:</strong> you can still <a href="%(email_url)s">change your email address</a>.'),
    # Left by our own pages' wording ("Email addresses"), still in allauth's pages the portal does not override.
    gettext_noop("Email Addresses"),
    gettext_noop("Add Email Address"),
    gettext_noop("Add Email"),
    gettext_noop("Confirm Email Address"),
    gettext_noop(
        'Please confirm that <a href="mailto:%(email)s">%(email)s</a> is an email address for user %(user_display)s.'
    ),
    gettext_noop(
        'This email confirmation link expired or is invalid. Please <a href="%(email_url)s">issue a new '
        "email confirmation request</a>."
    ),
    gettext_noop("Verify Your Email Address"),
    gettext_noop(
        "We have sent an email to you for verification. Follow the link provided to finalize the signup "
        "process. If you do not see the verification email in your main inbox, check your spam folder. "
        "Please contact us if you do not receive the verification email within a few minutes."
    ),
]

# django.contrib.auth: its Indonesian says "Sandi" and "anda" where the portal says "Kata sandi" and "Anda": the
# password field's label and its hints on the sign-up and password pages, and the user pages of the admin.
DJANGO_AUTH = [
    gettext_noop("Password changed successfully."),
    gettext_noop("Password-based authentication was disabled."),
    gettext_noop("Change password: %s"),
    gettext_noop("Set password: %s"),
    gettext_noop("password"),
    gettext_noop("Invalid password format or unknown hashing algorithm."),
    gettext_noop("No password set."),
    gettext_noop("Reset password"),
    gettext_noop("Set password"),
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("Password"),
    gettext_noop("Password confirmation"),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If disabled, they may still be able "
        "to authenticate using other backends, such as Single Sign-On or LDAP."
    ),
    gettext_noop("Password-based authentication"),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Enable password-based authentication for this user by setting a password."),
    gettext_noop("Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."),
    gettext_noop("New password confirmation"),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("Old password"),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("Password reset on %(site_name)s"),
    gettext_noop("Password reset"),
    gettext_noop("Enter new password"),
    gettext_noop("Password reset unsuccessful"),
    gettext_noop("Password reset complete"),
    gettext_noop("Password change"),
    gettext_noop("Password change successful"),
]
