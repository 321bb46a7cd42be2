from django.http import HttpResponse


def placeholder(request):  # replaced by the citizen and staff views
    return HttpResponse("")
