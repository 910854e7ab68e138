#ifndef ROSTER_CTEXTWIDTH_H
#define ROSTER_CTEXTWIDTH_H

/// The number of terminal cells a Unicode scalar takes (0, 1 or 2), -1 for a non-printable one.
/// Measured in the C.UTF-8 locale whatever the process locale is, so results do not depend on $LANG.
int roster_wcwidth(unsigned int scalar);

#endif
