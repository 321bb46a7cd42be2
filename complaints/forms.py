"""Citizen-side forms: input parsing only; the rules live in ``complaints.actions``."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from services import lookups
from services.geo import locate
from services.models import Area, Service, ServiceAttribute
from smartcity.widgets import DatePicker

from . import photos
from .actions.intake import (
    ATTRIBUTE_FIELD_PREFIX,
    CITIZEN_CONTACT_MISSING,
    CITIZEN_NAME_MISSING,
    PIN_OUTSIDE_CITY,
    validate_attributes,
)
from .models import Channel, Privacy

NOT_SURE = "unsure"
HONEYPOT_FIELD = "website"


# What the photo pickers offer (complaints.photos accepts these and re-encodes them as JPEG).
PHOTO_TYPES = "image/jpeg,image/png,image/webp,image/heic,image/heif"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def check_date_range(form, data: dict, start: str = "date_from", end: str = "date_to") -> dict:
    """A list filter's dates the wrong way round: said by the end date's field rather than answered with an empty
    list, which reads as "nothing then". The form's other filters still apply (``cleaned_data`` keeps them)."""
    if data.get(start) and data.get(end) and data[start] > data[end]:
        form.add_error(end, _("The start date must not be after the end date."))
    return data


def draft_owner(user) -> str:
    """Whose drafts a tab keeps (static/js/form-draft.js): an opaque tag of the signed-in account, not its id, so the
    next person signing in on the same tab is not offered them; empty for a visitor without an account."""
    if not user.is_authenticated:
        return ""
    return salted_hmac("form-draft-owner", user.pk).hexdigest()[:16]


class KeepsPhotos:
    """A form whose photos survive a refusal: the page comes back offering the photos already sent (ticked
    checkboxes carrying signed stash tokens, ``complaints/_kept_photos.html``) instead of asking to pick them again.

    ``cleaned_data["photos"]`` holds the kept photos followed by the new uploads; after a refusal the view calls
    ``keep_photos()``, after success ``forget_kept_photos()``.
    """

    photo_field = "photos"
    max_kept_photos = photos.MAX_PHOTOS

    def _kept(self) -> list[dict]:
        if not self.is_bound:
            return []
        return photos.kept_stash(self.data.getlist(self.add_prefix("photo_tokens")), limit=self.max_kept_photos)

    def clean(self):
        data = super().clean()
        self._new_uploads = list(data.get(self.photo_field) or [])
        kept = [photos.open_stashed(photo["token"]) for photo in self._kept()]
        data[self.photo_field] = [f for f in kept if f is not None] + self._new_uploads
        return data

    def keep_photos(self) -> None:
        """Stash this attempt's acceptable new photos beside the ones already kept (an unusable one is not kept:
        its reason is shown by the field)."""
        kept = self._kept()
        for upload in getattr(self, "_new_uploads", []):
            if len(kept) >= self.max_kept_photos:
                break
            try:
                photos.check_photo(upload)
            except ValidationError:
                continue
            kept.append({"token": photos.stash_upload(upload), "name": upload.name})
        self.kept_photos = kept

    def forget_kept_photos(self) -> None:
        photos.discard_stashed([photo["token"] for photo in self._kept()])

    @property
    def photo_tokens_name(self) -> str:
        return self.add_prefix("photo_tokens")


class MultiplePhotoField(forms.FileField):
    """Several files under one name; each is checked by ``complaints.photos`` in the view/action."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": PHOTO_TYPES}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files if f]


PRIVACY_HELP = {
    Privacy.PUBLIC: _("Everyone can see the report on the public map. Your name only if you tick the box below."),
    Privacy.ANONYMOUS: _(
        "The report is public, but nobody, not even the department, sees who you are. We still email you updates."
    ),
    Privacy.CONFIDENTIAL: _(
        "Only the department handling it and the inspectorate see the report. It never appears on the public map."
    ),
}


def kelurahan_choices():
    # Choices need names only; the boundaries are large GeoJSON documents.
    return (
        Area.objects.filter(level=Area.Level.KELURAHAN)
        .select_related("parent")
        .defer("boundary", "parent__boundary")
        .order_by("parent__name", "name")
    )


def kelurahan_label(area: Area) -> str:
    """A kelurahan as the lists offer it, "Basirih (Banjarmasin Barat)": the kecamatan tells apart what a name alone
    does not, and says where a choice lies before it is made."""
    return f"{area.name} ({area.parent.name})" if area.parent_id else area.name


class AnswerField(forms.Field):
    """Carries one extra question's answer as typed (a list for a multi-value question); the checks are the
    action's (``validate_attributes``), run by ``FilingForm.clean`` with the other fields'."""

    def __init__(self, question: ServiceAttribute):
        multiple = question.datatype == ServiceAttribute.Datatype.MULTIVALUELIST
        super().__init__(required=False, label=question.text, widget=forms.SelectMultiple if multiple else None)
        self.question = question


class FilingForm(forms.Form):
    # As many photos as a report takes (complaints.photos): the page's script and its "at most" message read it here.
    max_photos = photos.MAX_PHOTOS

    service = forms.CharField(
        label=_("What is it about?"),
        error_messages={"required": _("Please choose what your report is about, or “not sure”.")},
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Describe the problem"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 4000}),
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(label=_("Address or landmark"), max_length=255, required=False)
    area = forms.ModelChoiceField(
        label=_("Kelurahan"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("Choose the kelurahan (when you drop no pin)"),
    )
    # None chosen: the chosen service's default privacy (actions.file_ticket), which the page preselects.
    privacy = forms.ChoiceField(
        label=_("Who may see your report?"),
        choices=Privacy.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    show_name = forms.BooleanField(label=_("Show my name with the public report"), required=False)
    # The page's script refuses a photo over the limit before sending it and shrinks a larger one to the size the
    # server keeps anyway (filing-form.js): the numbers come from complaints.photos, not from the script.
    photos = MultiplePhotoField(
        label=photos.PHOTOS_WITH_SIZE_LABEL,
        widget=MultipleFileInput(
            attrs={"accept": PHOTO_TYPES, "data-max-bytes": photos.MAX_PHOTO_BYTES, "data-max-side": photos.MAX_SIDE}
        ),
    )
    # A phone fills these in from its contacts (autocomplete); not when staff file for a citizen (__init__).
    reporter_name = forms.CharField(
        label=_("Name"), max_length=150, required=False, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    reporter_email = forms.EmailField(
        label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    reporter_phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, widget=forms.TextInput(attrs={"autocomplete": "tel"})
    )
    channel = forms.ChoiceField(
        label=_("How did the citizen contact you?"),
        choices=[
            (Channel.WEB, _("I report for myself")),
            (Channel.ASSISTED, Channel.ASSISTED.label),
            (Channel.PHONE, Channel.PHONE.label),
        ],
        required=False,
    )
    # Honeypot: hidden from people by CSS, irresistible to scripts.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    # One per form shown: sending the same form twice files one report (actions.file_ticket).
    filing_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, assisting: bool = False, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.assisting = assisting
        self.signed_in = signed_in
        self.fields["area"].queryset = kelurahan_choices()
        self.fields["area"].label_from_instance = kelurahan_label
        self.fields["photos"].widget.attrs["data-max-photos"] = self.max_photos  # filing-form.js refuses one more
        if not assisting:
            del self.fields["channel"]
        else:
            # The citizen's contact, not the staff member's own: the browser must not offer theirs.
            for name in ("reporter_name", "reporter_email", "reporter_phone"):
                self.fields[name].widget.attrs["autocomplete"] = "off"
        if not signed_in:
            self.fields["reporter_email"].required = True
            self.fields["reporter_email"].help_text = _("We email you a link to confirm the report and its updates.")
        if not self.is_bound and (preselected := self._initial_service()) is not None:
            self.initial.setdefault("privacy", preselected.default_privacy)
        # The chosen service's questions are fields of their own, so their errors count with the others'.
        service = self.chosen_service() if self.is_bound else None
        self.questions = lookups.service_attributes(service) if service else ()
        for question in self.questions:
            self.fields[f"{ATTRIBUTE_FIELD_PREFIX}{question.code}"] = AnswerField(question)

    def clean_service(self):
        value = self.cleaned_data["service"]
        if value == NOT_SURE:
            return None
        service = Service.objects.filter(pk=value if str(value).isdigit() else 0).first()
        if service is None:
            raise forms.ValidationError(_("Please choose what your report is about, or “not sure”."))
        if not service.active:
            # Withdrawn while the form was open: the catalogue no longer lists it, so say why nothing is chosen.
            raise forms.ValidationError(
                _("“%(service)s” is no longer offered: please choose another topic, or “not sure”.")
                % {"service": service.name}
            )
        return service

    def clean(self):
        data = super().clean()
        # The same checks file_ticket makes (it repeats them), here so that their errors come in the same round as
        # the other fields' instead of only once everything else is right: a pin outside the city, the citizen's
        # contact when staff file for a caller, the service's questions.
        if data.get("lat") is None and not data.get("area") and "lat" not in self.errors:
            self.add_error("area", _("Please drop a pin on the map or choose the kelurahan."))
        if data.get("lat") is not None and data.get("lng") is not None and locate(data["lat"], data["lng"]) is None:
            self.add_error("lat", PIN_OUTSIDE_CITY)
        if data.get("channel") in (Channel.ASSISTED, Channel.PHONE):
            if not data.get("reporter_name"):
                self.add_error("reporter_name", CITIZEN_NAME_MISSING)
            if not (data.get("reporter_phone") or data.get("reporter_email")) and "reporter_email" not in self.errors:
                self.add_error("reporter_phone", CITIZEN_CONTACT_MISSING)
        if data.get("service") is not None:
            _clean, errors = validate_attributes(data["service"], self.attribute_answers())
            for field, messages in errors.items():
                self.add_error(field, messages)
        return data

    def key_to_send(self) -> uuid.UUID:
        """The key the page carries: the one this form came with (sent back with errors), else a new one."""
        try:
            return uuid.UUID(str(self.data.get("filing_key") or ""))
        except ValueError:
            return uuid.uuid4()

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get(HONEYPOT_FIELD) or "").strip())

    def _initial_service(self) -> Service | None:
        """The service a link to the form chose (``/lapor/?service=<id>``)."""
        value = str(self.initial.get("service") or "")
        return Service.objects.filter(pk=value, active=True).first() if value.isdigit() else None

    def chosen_service(self) -> Service | None:
        value = self.data.get("service") or ""
        if not str(value).isdigit():
            return None
        return Service.objects.filter(pk=value, active=True).first()

    def attribute_answers(self) -> dict:
        """The chosen service's extra answers as typed (``attr_<code>``), by question code; checked by the action."""
        if self.cleaned_data.get("service") is None:
            return {}
        return {
            question.code: self.cleaned_data.get(f"{ATTRIBUTE_FIELD_PREFIX}{question.code}") or ""
            for question in self.questions
        }


# What a citizen writes on a report's page (information, an answer to the department, a reason to reopen, a rating's
# comment) is a public event: anyone reads it on a public or anonymous report's timeline (a report still waiting to be
# routed too, once it is). The ticket page shows this under those fields unless the report is confidential.
PUBLIC_TEXT_HINT = _(
    "This report is public: everyone can read what you write here, so leave out personal details such as your phone "
    "number."
)


class ReasonForm(KeepsPhotos, forms.Form):
    """The reporter's "not fixed" (reopen): what is still wrong, and photos showing it (kept on a refusal)."""

    reason = forms.CharField(
        label=_("What is still wrong?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PUBLIC_TEXT_HINT,
    )
    photos = MultiplePhotoField(label=photos.PHOTOS_LABEL)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How well was it handled?"),
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
        widget=forms.RadioSelect,
        error_messages=dict.fromkeys(("required", "invalid_choice"), _("Please choose a score from 1 to 5 stars.")),
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=PUBLIC_TEXT_HINT,
    )


class InfoForm(KeepsPhotos, forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PUBLIC_TEXT_HINT,
    )
    photos = MultiplePhotoField(label=photos.PHOTOS_LABEL)


class SupportForm(forms.Form):
    email = forms.EmailField(label=_("Your email"), required=False)


class CodeChoiceField(forms.ModelChoiceField):
    """A catalogue row picked by its code (``?service=drainase-tersumbat``, ``?kecamatan=63.71.01``), as the
    dashboards, the public activities list and the API name them: a shared address reads what it lists and means
    the same on every copy of the database. A number is also read as the row's id, which the public list's links
    held until its options carried codes (emails, bookmarks, citations); a code made of digits wins over an id."""

    def __init__(self, **kwargs):
        super().__init__(to_field_name="code", **kwargs)

    def to_python(self, value):
        if not (isinstance(value, str) and value.isascii() and value.isdigit()):
            return super().to_python(value)
        # One read for either meaning, as the lookup by code alone is.
        rows = sorted(self.queryset.filter(Q(code=value) | Q(pk=int(value))), key=lambda row: row.code != value)
        if not rows:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return rows[0]


# The public list's pickers that name a catalogue row (``CodeChoiceField``).
PUBLIC_CODED_FILTERS = ("service", "kecamatan", "kelurahan")


class PublicFilterForm(forms.Form):
    # The staff queue's text search (``queries.matching_words``): title, description and reference, never the
    # typed address; a whole reference the visitor may open goes straight to its page (``views.public_list``).
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Words from a report's title or description, or its reference number."),
    )
    service = CodeChoiceField(
        label=_("Service"), queryset=Service.objects.filter(active=True), required=False, empty_label=_("All services")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), ("open", _("Open")), ("resolved", _("Resolved")), ("closed", _("Closed"))],
    )
    kecamatan = CodeChoiceField(
        label=_("Kecamatan"),
        queryset=Area.objects.filter(level=Area.Level.KECAMATAN).defer("boundary"),
        required=False,
        empty_label=_("All kecamatan"),
    )
    # By name, each with its kecamatan (``kelurahan_label``): 52 names are looked up by name, and the kecamatan in
    # the label says which go with the kecamatan chosen beside it.
    kelurahan = CodeChoiceField(
        label=_("Kelurahan"),
        queryset=kelurahan_choices().order_by("name", "parent__name"),
        required=False,
        empty_label=_("All kelurahan"),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DatePicker())
    date_to = forms.DateField(label=_("To"), required=False, widget=DatePicker())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].label_from_instance = kelurahan_label

    def clean(self):
        data = check_date_range(self, super().clean())
        self._name_by_codes(data)
        return refuse_kelurahan_outside_kecamatan(self, data)

    def _name_by_codes(self, data: dict) -> None:
        """An old link's ids (``?service=17``) rewritten as the codes they stand for: the picker shows the choice
        applied (its options carry codes), and the page's links (its map, its other pages) carry the codes on."""
        rewritten = self.data.copy()
        for name in PUBLIC_CODED_FILTERS:
            if data.get(name) is not None:
                rewritten[name] = data[name].code  # one value: a repeated parameter was read as its last
        self.data = rewritten


def refuse_kelurahan_outside_kecamatan(form: forms.Form, data: dict) -> dict:
    """A public list's filter pair (``kecamatan``, ``kelurahan``) that do not go together: either filter alone would
    list something the visitor did not ask for, and both together list nothing that says why. The kelurahan is
    refused by name, and the kecamatan still filters."""
    kecamatan, kelurahan = data.get("kecamatan"), data.get("kelurahan")
    if kecamatan and kelurahan and kelurahan.parent_id != kecamatan.pk:
        form.add_error(
            "kelurahan",
            _("%(kelurahan)s is not in %(kecamatan)s: the list shows all of %(kecamatan)s.")
            % {"kelurahan": kelurahan_label(kelurahan), "kecamatan": kecamatan.name},
        )
    return data


class MyReportsFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open", _("Open")), ("resolved", _("Resolved")), ("closed", _("Closed"))],
    )
    role = forms.ChoiceField(
        label=_("Reports"),
        required=False,
        choices=[
            ("", _("Filed or followed")),
            ("filed", _("Filed by me")),
            ("following", _("Followed (me too)")),
            ("for_others", _("Filed by me for others")),
        ],
    )

    def __init__(self, *args, files_for_others: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # Only staff file for someone else (a phone caller, a visitor at the counter): to a citizen the choice was
        # a list that is always empty, and a Ketua RT who files for his neighbours took it for his.
        if not files_for_others:
            self.fields["role"].choices = [c for c in self.fields["role"].choices if c[0] != "for_others"]
