from django.urls import path

from .views import public

app_name = "recommendations"

urlpatterns = [
    path("", public.home, name="home"),
    path("about/", public.about, name="about"),
    path("recommendations/", public.recommendation_list, name="list"),
    path("recommendations/<slug:code>/<int:number>/", public.paragraph_detail, name="paragraph"),
    path("documents/<slug:code>/", public.document, name="document"),
    path("actors/<str:code>/", public.actor_detail, name="actor"),
    path("<slug:dataset>/export.<slug:fmt>", public.export, name="export"),
]
