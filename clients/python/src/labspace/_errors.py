"""Errors a researcher can act on, each naming what went wrong."""


class LabspaceError(Exception):
    """Base of every error the client raises."""


class AccessDenied(LabspaceError):
    """The provider's policy refuses this lab the dataset for that purpose; ``constraints`` says which conditions failed."""

    def __init__(self, message, constraints=()):
        super().__init__(message)
        self.constraints = list(constraints)


class DatasetNotFound(LabspaceError):
    """No such dataset in the network (or the provider does not show it to this lab)."""


class LabUnreachable(LabspaceError):
    """A connector (this lab's or the provider's) did not answer."""


class AgreementExpired(AccessDenied):
    """The agreement for this dataset and purpose has expired or was revoked; ask again for a new one."""


class AuthenticationFailed(LabspaceError):
    """The research API refused the key: it is unknown or revoked."""
