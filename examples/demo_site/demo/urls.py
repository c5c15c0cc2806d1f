from django.contrib import admin
from django.urls import include, path

from visits import views

urlpatterns = [
    path("", views.index, name="index"),
    path("health/", views.health, name="health"),
    path("boom/", views.boom, name="boom"),
    path("admin/", admin.site.urls),
    # Password reset and the rest of Django's account pages (the admin app has their templates).
    path("accounts/", include("django.contrib.auth.urls")),
]
