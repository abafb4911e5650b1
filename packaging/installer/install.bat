@echo off
rem Install the offline clinical tutor from this stick (Windows). No network needed.
cd /d "%~dp0"
where py >nul 2>nul && (py -3.11 install.py %* & exit /b %errorlevel%)
python install.py %*
