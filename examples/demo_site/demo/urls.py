from django.contrib import admin
from django.urls import path

from visits import views

urlpatterns = [
    path("", views.index, name="index"),
    path("health/", views.health, name="health"),
    path("boom/", views.boom, name="boom"),
    path("admin/", admin.site.urls),
]
