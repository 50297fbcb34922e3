#ifndef C_REDLINE_SYSTEM_H
#define C_REDLINE_SYSTEM_H

/// Swaps the two paths in one step (Linux renameat2 with RENAME_EXCHANGE): a reader of either
/// path sees the old folder or the new one, never neither. Returns 0, or -1 with errno set
/// (ENOSYS or EINVAL where the system or file system cannot exchange).
int redline_exchange_paths(const char *first, const char *second);

#endif
