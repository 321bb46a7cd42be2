from django.urls import path

from complaints.views import placeholder

app_name = "planning"
urlpatterns = [path("", placeholder, name="board")]
