"""Labspace for researchers: find datasets across the network and pull them into notebooks.

    import labspace
    lab = labspace.connect()                       # LABSPACE_URL, LABSPACE_API_KEY
    lab.search("air quality", column="pm25")
    table = lab.dataset("lab-madrid/air-quality").to_arrow(purpose="research.ai-training")
"""

from ._client import Dataset, Lab, SearchResults, connect
from ._errors import AccessDenied, AgreementExpired, AuthenticationFailed, DatasetNotFound, LabUnreachable, LabspaceError

__all__ = ["connect", "Lab", "Dataset", "SearchResults", "LabspaceError", "AccessDenied", "AgreementExpired", "AuthenticationFailed",
           "DatasetNotFound", "LabUnreachable"]
__version__ = "0.1.0"
