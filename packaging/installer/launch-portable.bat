@echo off
rem Run the tutor straight from the stick; learners' data stays on the stick (portable\data).
set "PYTHONPATH=%~dp0portable\lib"
if not defined TUTOR_HOME set "TUTOR_HOME=%~dp0portable\data"
where py >nul 2>nul && (py -3.11 -m tutor %* & exit /b %errorlevel%)
python -m tutor %*
