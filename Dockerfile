# The Listes360 service (one Orleans silo co-hosted with the GraphQL API: src/Listes360.Api) as a
# container image. Build from the repository root:  docker build -t listes360 .
# Deployed by infra/azure (Azure Container Apps). This machine has no Docker: CI runs the build
# stages' npm ci, restore and publish commands as written here (tests/Listes360.Infra.Tests/DockerfileTests.cs).

# The State's design system (DSFR) the web pages serve, from npm at the version package-lock.json pins, never a CDN.
FROM node:20-bookworm-slim AS dsfr
WORKDIR /src/infra/dsfr
COPY infra/dsfr/package.json infra/dsfr/package-lock.json infra/dsfr/.npmrc ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
# The data the assemblies embed (FINESS extract, territories, geography, the risk model).
COPY data/ data/
COPY src/ src/
COPY --from=dsfr /src/infra/dsfr/ infra/dsfr/
RUN dotnet restore src/Listes360.Api/Listes360.Api.csproj
RUN dotnet publish src/Listes360.Api/Listes360.Api.csproj --configuration Release --no-restore --output /app/publish -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app/publish ./
# HTTP (the ingress terminates TLS), the Orleans silo port and gateway port (between silos only).
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080 11111 30000
# The images' unprivileged user (APP_UID, 1654): the service never runs as root.
USER $APP_UID
ENTRYPOINT ["dotnet", "Listes360.Api.dll"]
