"""A from-scratch re-implementation of OpenStack Compute (Nova)."""

import warnings

# oslo.messaging and oslo.utils still import eventlet helpers at import time and
# warn about it; this project runs on native threads and never uses them.
warnings.filterwarnings('ignore', message=r'(?s)\s*Eventlet is deprecated')
warnings.filterwarnings('ignore', message='.*eventletutils.*')
# Importing eventlet pulls in dnspython, whose DNSSEC module touches DSA names
# that cryptography 51 deprecates: noise on every command's stderr, nothing
# this project uses.
warnings.filterwarnings('ignore', module=r'dns\.dnssecalgs')
