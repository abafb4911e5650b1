# Install the offline clinical tutor from this stick (Windows PowerShell). No network needed.
Set-Location -Path $PSScriptRoot
if (Get-Command py -ErrorAction SilentlyContinue) { py -3.11 install.py @args } else { python install.py @args }
exit $LASTEXITCODE
