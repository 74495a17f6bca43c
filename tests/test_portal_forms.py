import pytest
from django import forms
from django.template import engines

TEMPLATE = engines["django"].from_string("{% load portal_forms %}{% select_options form.f %}|"
                                         "{% select_options form.f default='2' %}")


class ChoiceForm(forms.Form):
    f = forms.TypedChoiceField(coerce=int, required=False, choices=[
        ("", "All"), (1, "<b>One</b>"), (2, "Two"), ("Group", [(3, "Three")])])


@pytest.mark.parametrize("data, plain, with_default", [
    (None, '<option value="" selected>All</option>', '<option value="2" selected>'),
    ({}, '<option value="" selected>All</option>', '<option value="2" selected>'),
    ({"f": "1"}, '<option value="1" selected>&lt;b&gt;One&lt;/b&gt;</option>', '<option value="1" selected>'),
    ({"f": "3"}, '<optgroup label="Group"><option value="3" selected>Three</option></optgroup>',
     '<option value="3" selected>'),
    ({"f": "zzz"}, '<option value="">All</option>', '<option value="2">Two</option>'),
])
def test_select_options_marks_the_submitted_or_default_value(data, plain, with_default):
    first, second = TEMPLATE.render({"form": ChoiceForm(data)}).split("|")
    assert plain in first
    assert with_default in second
    assert first.count(" selected") <= 1 and second.count(" selected") <= 1
    assert "<b>" not in first
