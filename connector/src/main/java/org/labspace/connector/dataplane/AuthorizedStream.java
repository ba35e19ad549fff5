package org.labspace.connector.dataplane;

import org.labspace.catalog.RegisteredDataset;
import org.labspace.dataplane.restriction.Restrictions;
import org.labspace.dataplane.scan.ParquetSource;

/**
 * A stream request whose token checked out: which transfer and agreement it serves, the dataset's files, and what
 * the agreement lets leave.
 */
record AuthorizedStream(String transferProcessId, String agreementId, String consumerId, RegisteredDataset dataset, ParquetSource source,
                        Restrictions restrictions, String maskSalt) {
}
