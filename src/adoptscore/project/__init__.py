"""Projects: the project file (``adoptscore.yaml``) and the monthly refresh it describes (``adoptscore run``)."""
from adoptscore.project.config import DEFAULT_NAME, LoadedProject, ProjectError, load_project
from adoptscore.project.run import RunSummary, Step, run_project

__all__ = ["DEFAULT_NAME", "LoadedProject", "ProjectError", "RunSummary", "Step", "load_project", "run_project"]
