from django.contrib.auth.mixins import LoginRequiredMixin

from core.views import ObjectDetailView
from jobs.models import Job


class JobDetailView(LoginRequiredMixin, ObjectDetailView):
    """A job's progress; htmx polls the progress fragment until the job has finished."""

    queryset = Job.objects.all()
    template_name = "jobs/job_detail.html"

    def get_template_names(self):
        if self.request.htmx:
            return ["jobs/_progress.html"]
        return [self.template_name]
